package io.peersql.bootstrap.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may call what. Everything needs HTTP Basic credentials except: health, the OpenAPI
 * documents, the portal's static files (which hold no data), and company self-registration
 * ({@code POST /api/companies}), the one deliberate public write: a new company starts pending
 * until the provider approves it. Peer endpoints ({@code /api/peer/**}) take only peer accounts;
 * the other API endpoints take the provider and company admins, whose rights on each resource
 * the services check. Stateless: no session, no cookie, hence no CSRF token.
 */
@Configuration
class SecurityConfiguration {

  @Bean
  PasswordEncoder passwordEncoder(BootstrapSecurityProperties properties) {
    return new RememberingPasswordEncoder(new BCryptPasswordEncoder(properties.bcryptStrength()));
  }

  @Bean
  SecurityFilterChain api(HttpSecurity http) throws Exception {
    var problems = new ProblemAuthenticationEntryPoint();
    return http
        .csrf(AbstractHttpConfigurer::disable)
        .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .httpBasic(basic -> basic.authenticationEntryPoint(problems))
        .exceptionHandling(errors -> errors.authenticationEntryPoint(problems).accessDeniedHandler(problems))
        .authorizeHttpRequests(requests -> requests
            .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
            .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml", "/swagger-ui.html",
                "/swagger-ui/**").permitAll()
            .requestMatchers(HttpMethod.GET, "/", "/portal", "/portal/**").permitAll()
            .requestMatchers(HttpMethod.POST, "/api/companies").permitAll()
            .requestMatchers("/error").permitAll()
            .requestMatchers("/api/peer/**").hasRole(AccountKind.PEER.name())
            .requestMatchers("/api/**").hasAnyRole(AccountKind.PROVIDER.name(), AccountKind.COMPANY_ADMIN.name())
            .anyRequest().denyAll())
        .build();
  }
}
